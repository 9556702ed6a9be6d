export default function Home() {
  return <main className="p-8">Integration Hub</main>;
}
